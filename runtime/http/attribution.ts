// Prefect's attribution headers (client/attribution.py): which worker, flow run and task run sent a
// request, so Prefect Cloud can attribute usage and rate limits. Worker values come from the variables a
// worker sets for the flow-run process (read once per client); run values from the run contexts (read per
// request, an AsyncLocalStorage lookup), falling back to PREFECT__FLOW_RUN_ID.
import { FlowRunContext, TaskRunContext } from "../context.js";

type Env = Record<string, string | undefined>;

/** Field values fetch accepts; anything else (a CR/LF in a run name) is left out rather than failing the call. */
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]+$/;

function usable(value: unknown): value is string {
  return typeof value === "string" && HEADER_VALUE.test(value);
}

export class Attribution {
  readonly #fixed: [string, string][] = [];
  readonly #envFlowRunId: string | undefined;

  constructor(env: Env) {
    if (usable(env.PREFECT__WORKER_ID)) this.#fixed.push(["x-prefect-worker-id", env.PREFECT__WORKER_ID]);
    if (usable(env.PREFECT__WORKER_NAME)) this.#fixed.push(["x-prefect-worker-name", env.PREFECT__WORKER_NAME]);
    this.#envFlowRunId = usable(env.PREFECT__FLOW_RUN_ID) ? env.PREFECT__FLOW_RUN_ID : undefined;
  }

  /**
   * Sets the headers for the call tree this runs in; the run context wins over the environment, as in
   * Prefect. `target` hands out the request's own (lower-case) header record, asked for only when there
   * is something to set, so a request without attribution keeps sharing the client's static headers.
   */
  apply(target: () => Record<string, string>): void {
    for (const [name, value] of this.#fixed) target()[name] = value;
    const flowRun = FlowRunContext.get();
    if (flowRun !== undefined && usable(flowRun.flowRunId)) {
      const headers = target();
      headers["x-prefect-flow-run-id"] = flowRun.flowRunId;
      if (usable(flowRun.flowRunName)) headers["x-prefect-flow-run-name"] = flowRun.flowRunName;
      if (usable(flowRun.deploymentId)) headers["x-prefect-deployment-id"] = flowRun.deploymentId;
    } else if (this.#envFlowRunId !== undefined) {
      target()["x-prefect-flow-run-id"] = this.#envFlowRunId;
    }
    const taskRun = TaskRunContext.get();
    if (taskRun !== undefined && usable(taskRun.taskRunId)) target()["x-prefect-task-run-id"] = taskRun.taskRunId;
  }
}
