// Prefect work as plain async functions. Each is tagged, so tspc rewrites it to resolve its client the
// way Prefect's @inject_client does: the caller's client, else the open PrefectClient in context, else a
// new one (PrefectClient.fromEnv(), or the factory a test set) that lives for this call only.
import { injected } from "inject-client/runtime";
import type { components } from "./generated/prefect/index.js";
import { PrefectClient } from "./generated/prefect/index.js";

export type Flow = components["schemas"]["Flow"];
export type Deployment = components["schemas"]["DeploymentResponse"];
export type FlowRun = components["schemas"]["FlowRun"];

/**
 * Registers a flow by name (Prefect returns the existing one if the name is taken).
 * @injectClient
 */
export async function ensureFlow(name: string, client: PrefectClient = injected(PrefectClient)): Promise<Flow> {
  return client.createFlow({ name });
}

/** @injectClient */
export async function ensureDeployment(flowId: string, name: string, client: PrefectClient = injected(PrefectClient)): Promise<Deployment> {
  return client.createDeployment({ flow_id: flowId, name, tags: ["inject-client-quickstart"] });
}

/**
 * Starts a run of a deployment, looked up by flow and deployment name.
 * @injectClient
 */
export async function startRun(
  flowName: string,
  deploymentName: string,
  parameters: Record<string, unknown>,
  client: PrefectClient = injected(PrefectClient),
): Promise<FlowRun> {
  const deployment = await client.readDeploymentByName(flowName, deploymentName);
  return client.createFlowRunFromDeployment(deployment.id, { parameters });
}

/**
 * The latest runs of a flow, newest first: the options-object form of the tag.
 * @injectClient
 */
export async function recentRuns(flowName: string, { client, limit = 5 }: { client?: PrefectClient; limit?: number } = {}): Promise<FlowRun[]> {
  return client!.readFlowRuns({ flows: { name: { any_: [flowName] } }, sort: "START_TIME_DESC", limit });
}

/** @injectClient */
export async function cancelRun(flowRunId: string, client: PrefectClient = injected(PrefectClient)) {
  return client.setFlowRunState(flowRunId, { state: { type: "CANCELLING", message: "cancelled by the quickstart" } });
}
