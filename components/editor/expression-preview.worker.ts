// The preview's Web Worker: evaluates one expression field against the sample data off
// the page's thread (lib/editor/expression-preview.ts). The page ends this worker when
// an answer is late (an expression that never returns) and starts a new one.
import { evaluatePreview, type TPreviewRequest, type TPreviewResponse } from "@/lib/editor/expression-preview";

addEventListener("message", (event: MessageEvent<TPreviewRequest>) => {
  const { id, ...request } = event.data;
  void evaluatePreview(request).then(
    (outcome) => postMessage({ id, outcome } satisfies TPreviewResponse),
    () => postMessage({ id, outcome: { ok: false, reason: "failed", message: "The preview could not be computed." } } satisfies TPreviewResponse),
  );
});
