/**
 * The error policy: every refusal (the core's or AssetPay's) becomes its localized view, once,
 * here, and is logged as a refusal; anything else is a crash, logged with its stack and shown as
 * the generic "nothing was charged" message, never a dead adapter.
 */
import { isCoreError, upstreamErrorKey } from "../../src/core/errors.ts";
import type { View } from "../../src/ui/view.ts";
import { errorView } from "../../src/ui/views/error-view.ts";
import type { CommandContext } from "../types.ts";

export function failureView(ctx: CommandContext, err: unknown): View {
  if (!isCoreError(err) && upstreamErrorKey(err) === undefined) {
    ctx.core.logger.error({ err, memberId: ctx.memberId }, "command failed");
  } else {
    ctx.core.logger.info(
      { memberId: ctx.memberId, refusal: isCoreError(err) ? err.key : upstreamErrorKey(err) },
      "refused",
    );
  }
  return errorView(ctx.core.i18n, ctx.locale, err);
}
