// Rules the demo's stand-in adds on top of schema-valid mock answers, so that the example meets the
// same "not found" a real Prefect server gives for a deployment nobody created.
import { prefectHandlers, type MockHandler } from "../../test/support/mock-api.js";

export const MISSING_DEPLOYMENT = "does-not-exist";

export function prefectStandInHandlers(): Record<string, MockHandler> {
  return {
    ...prefectHandlers(),
    read_deployment_by_name_deployments_name__flow_name___deployment_name__get: (request) =>
      request.params.deployment_name === MISSING_DEPLOYMENT
        ? { status: 404, body: { detail: "Deployment not found" } }
        : undefined, // the schema mock answers
  };
}
