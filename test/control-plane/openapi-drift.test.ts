import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { buildOpenApiDocument, stableOpenApiJson } from '../../apps/control-plane/src/bootstrap';
import { startTestControlPlane, type TestControlPlane } from '../support/control-plane';

describe('the committed OpenAPI document', () => {
  let cp: TestControlPlane;
  beforeAll(async () => {
    cp = await startTestControlPlane();
  });
  afterAll(() => cp.close());

  it('matches the code (run `npm run openapi` after changing the API)', () => {
    const committed = readFileSync(resolve(__dirname, '../../openapi/control-plane.json'), 'utf8');
    const current = stableOpenApiJson(buildOpenApiDocument(cp.app));
    expect(JSON.parse(current)).toEqual(JSON.parse(committed));
  });

  it('documents bearer authentication and the partner routes', () => {
    const document = buildOpenApiDocument(cp.app);
    expect(document.components?.securitySchemes).toHaveProperty('bearer');
    expect(Object.keys(document.paths)).toContain('/partners/{partnerId}/integration');
  });
});
