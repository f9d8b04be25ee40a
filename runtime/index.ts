// `inject-client/runtime`: the resolution core and the HTTP client base the generated classes extend.
export * from "./core.js";
export * from "./http/index.js";
