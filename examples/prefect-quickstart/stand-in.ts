// Rules the demo's stand-in adds on top of schema-valid mock answers, so that the example meets what a
// real Prefect server gives: a Prefect 3 version for the client's version check, "not found" for a
// deployment nobody created, and one busy answer (503, Retry-After) so the demo shows a retry.
import { prefectHandlers, type MockHandler } from "../../test/support/mock-api.js";

export const MISSING_DEPLOYMENT = "does-not-exist";
/** What GET /admin/version answers: a Prefect 3 server, as the client's version check expects. */
export const STAND_IN_VERSION = "3.4.11";

export function prefectStandInHandlers(): Record<string, MockHandler> {
  let busyOnce = true;
  return {
    ...prefectHandlers(),
    read_version_admin_version_get: () => ({ status: 200, body: JSON.stringify(STAND_IN_VERSION), headers: { "content-type": "application/json" } }),
    read_flow_runs_flow_runs_filter_post: () => {
      if (!busyOnce) return undefined; // the schema mock answers
      busyOnce = false;
      return { status: 503, body: { detail: "The stand-in is busy once, to show a retry" }, headers: { "retry-after": "0.5" } };
    },
    read_deployment_by_name_deployments_name__flow_name___deployment_name__get: (request) =>
      request.params.deployment_name === MISSING_DEPLOYMENT ? { status: 404, body: { detail: "Deployment not found" } } : undefined, // the schema mock answers
  };
}
