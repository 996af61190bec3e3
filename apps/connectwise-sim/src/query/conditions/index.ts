export { ConditionError, VALUE_FORMAT_GUIDANCE, type Condition, type Comparison, type Literal } from './ast';
export { parseConditions, parseDateTime } from './parser';
export {
  compileConditions,
  compileConditionString,
  asText,
  likePattern,
  type FieldResolver,
  type RecordPredicate,
  type ResolvedField,
  type ValueKind,
} from './evaluate';
