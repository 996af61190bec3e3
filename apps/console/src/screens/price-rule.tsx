import type { Schemas } from '../api/client';

export type PriceRule = Schemas['PriceRuleDto'];
export type Term = 'monthly' | 'annual';

export const PRICE_KINDS: { kind: PriceRule['kind']; title: string }[] = [
  { kind: 'platform-retail', title: "Platform's retail price" },
  { kind: 'catalog', title: "Catalog item's own price (no price written)" },
  { kind: 'markup', title: 'Cost + markup %' },
  { kind: 'fixed', title: 'Fixed price' },
];

export function describeRule(rule: PriceRule | undefined): string {
  if (!rule) return 'Default';
  if (rule.kind === 'markup') return `Cost + ${rule.percent ?? 0} %, rounded to ${rule.decimals ?? 2} decimals`;
  if (rule.kind === 'fixed') return `Fixed ${rule.amount ?? 0}`;
  return PRICE_KINDS.find((k) => k.kind === rule.kind)?.title ?? rule.kind;
}

/**
 * A price rule: its kind, then the markup percentage and rounding, or the fixed amount. `defaultTitle` names what
 * "no rule" means here (the mapping's rule, or the platform's retail price); null offers no "default" at all.
 */
export function PriceRuleEditor({ id, label, value, onChange, defaultTitle, compact }: { id: string; label: string; value: PriceRule | undefined; onChange: (rule: PriceRule | undefined) => void; defaultTitle: string | null; compact?: boolean }) {
  const kind = value?.kind ?? '';
  return (
    <div className="price-rule">
      <div className="field">
        <label htmlFor={`${id}-kind`} className={compact ? 'sr-only' : undefined}>
          {label}
        </label>
        <select
          id={`${id}-kind`}
          value={kind}
          onChange={(e) => {
            const next = e.target.value as PriceRule['kind'] | '';
            if (!next) return onChange(undefined);
            onChange(next === 'markup' ? { kind: next, percent: value?.percent ?? 20, decimals: value?.decimals ?? 2 } : next === 'fixed' ? { kind: next, amount: value?.amount ?? 0 } : { kind: next });
          }}
        >
          {defaultTitle !== null ? <option value="">{defaultTitle}</option> : null}
          {PRICE_KINDS.map((k) => (
            <option key={k.kind} value={k.kind}>
              {k.title}
            </option>
          ))}
        </select>
      </div>
      {value?.kind === 'markup' ? (
        <>
          <div className="field narrow">
            <label htmlFor={`${id}-percent`}>Markup %</label>
            <input id={`${id}-percent`} type="number" step="any" value={value.percent ?? ''} onChange={(e) => onChange({ ...value, percent: e.target.value === '' ? undefined : Number(e.target.value) })} />
          </div>
          <div className="field narrow">
            <label htmlFor={`${id}-decimals`}>Rounding</label>
            <select id={`${id}-decimals`} value={value.decimals ?? 2} onChange={(e) => onChange({ ...value, decimals: Number(e.target.value) })}>
              {[0, 1, 2, 3, 4].map((d) => (
                <option key={d} value={d}>
                  {d} decimals
                </option>
              ))}
            </select>
          </div>
        </>
      ) : null}
      {value?.kind === 'fixed' ? (
        <div className="field narrow">
          <label htmlFor={`${id}-amount`}>Unit price</label>
          <input id={`${id}-amount`} type="number" step="any" min={0} value={value.amount ?? ''} onChange={(e) => onChange({ ...value, amount: e.target.value === '' ? undefined : Number(e.target.value) })} />
        </div>
      ) : null}
    </div>
  );
}

export function TermSelect({ id, label, value, onChange, compact }: { id: string; label: string; value: Term | undefined; onChange: (term: Term | undefined) => void; compact?: boolean }) {
  return (
    <div className="field narrow">
      <label htmlFor={id} className={compact ? 'sr-only' : undefined}>
        {label}
      </label>
      <select id={id} value={value ?? ''} onChange={(e) => onChange((e.target.value || undefined) as Term | undefined)}>
        <option value="">Every term</option>
        <option value="monthly">Monthly</option>
        <option value="annual">Annual</option>
      </select>
    </div>
  );
}
