// Every step on the canvas has this size (flow-step-node.tsx draws it so), which lets
// React Flow place and show nodes without measuring them first, and lets the layout
// (auto-layout.ts, also used on the server at import) space them without a browser.
export const CANVAS_NODE_SIZE = { width: 224, height: 96 } as const;

/** The canvas snaps positions to this grid. */
export const CANVAS_GRID = 20;
