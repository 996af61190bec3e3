import { RESOURCES } from '../resources/registry';
import type { HttpMethod } from '../resources/resource-def';
import type { Handler, Route } from './context';
import { resourceRoutes } from './crud';
import { documentRoutes } from './documents';
import { systemRoutes } from './system-endpoints';

export interface RouteMatch {
  route: Route;
  params: Record<string, number>;
  handler?: Handler;
}

/**
 * Matches paths under `apis/3.0/` to routes. Literal segments compare case-insensitively (IIS
 * paths are), `{name}` segments must be integers; a trailing slash is ignored, so both
 * `procurement/subcategories` and the spec's `procurement/subcategories/` work.
 */
export class ApiRouter {
  private readonly routes: Route[];

  constructor() {
    const generic = RESOURCES.filter((def) => def.key !== 'system/documents' && !def.source).flatMap(resourceRoutes);
    this.routes = [...generic, ...documentRoutes(), ...systemRoutes()];
  }

  match(method: string, segments: readonly string[]): RouteMatch | undefined {
    for (const route of this.routes) {
      if (route.segments.length !== segments.length) continue;
      const params: Record<string, number> = {};
      let ok = true;
      for (let i = 0; i < segments.length && ok; i++) {
        const expected = route.segments[i];
        if (expected.startsWith('{')) {
          if (/^\d{1,9}$/.test(segments[i])) params[expected.slice(1, -1)] = Number(segments[i]);
          else ok = false;
        } else if (expected.toLowerCase() !== segments[i].toLowerCase()) {
          ok = false;
        }
      }
      if (ok) return { route, params, handler: route.handlers[method as HttpMethod] };
    }
    return undefined;
  }
}
