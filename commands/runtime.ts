/**
 * What both platforms call: run a command, answer a button or select press, autocomplete. Each
 * idea is one file under `runtime/`: the invocation context, the error policy, the reachability
 * note every answer may carry, typed commands, the confirm press and the action dispatch.
 */
export { type ActionAnswer, answerAction, handleAction } from "./runtime/actions.ts";
export { contextFor, type Invocation } from "./runtime/context.ts";
export { autocomplete, precheckCommand, runCommand } from "./runtime/run.ts";
