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
    if (usable(env.PREFECT__WORKER_ID)) this.#fixed.push(["X-Prefect-Worker-Id", env.PREFECT__WORKER_ID]);
    if (usable(env.PREFECT__WORKER_NAME)) this.#fixed.push(["X-Prefect-Worker-Name", env.PREFECT__WORKER_NAME]);
    this.#envFlowRunId = usable(env.PREFECT__FLOW_RUN_ID) ? env.PREFECT__FLOW_RUN_ID : undefined;
  }

  /** Sets the headers for the call tree this runs in; the run context wins over the environment, as in Prefect. */
  apply(headers: Headers): void {
    for (const [name, value] of this.#fixed) headers.set(name, value);
    const flowRun = FlowRunContext.get();
    if (flowRun !== undefined && usable(flowRun.flowRunId)) {
      headers.set("X-Prefect-Flow-Run-Id", flowRun.flowRunId);
      if (usable(flowRun.flowRunName)) headers.set("X-Prefect-Flow-Run-Name", flowRun.flowRunName);
      if (usable(flowRun.deploymentId)) headers.set("X-Prefect-Deployment-Id", flowRun.deploymentId);
    } else if (this.#envFlowRunId !== undefined) {
      headers.set("X-Prefect-Flow-Run-Id", this.#envFlowRunId);
    }
    const taskRun = TaskRunContext.get();
    if (taskRun !== undefined && usable(taskRun.taskRunId)) headers.set("X-Prefect-Task-Run-Id", taskRun.taskRunId);
  }
}
