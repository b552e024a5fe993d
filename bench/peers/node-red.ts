// Node-RED 4.1 with the bench's flow in its flows.json: http in → function (total) →
// http request (POST to the sink) → change (restore the result) → http response.
// No editor, no admin API, no telemetry. It keeps messages in memory only.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { freePort, startService, type TService, type TSystem } from "./common";

export async function setUpNodeRed(options: { installDir: string; workDir: string; sinkUrl: string }): Promise<TSystem> {
  const userDir = path.join(options.workDir, "node-red");
  mkdirSync(userDir, { recursive: true });
  const tab = "bench";
  const flows = [
    { id: tab, type: "tab", label: "bench" },
    { id: "in", type: "http in", z: tab, name: "webhook", url: "/hook", method: "post", upload: false, wires: [["total"]] },
    {
      id: "total",
      type: "function",
      z: tab,
      name: "total",
      func: [
        "const body = msg.payload;",
        "msg.result = { id: body.id, total: body.qty * body.price };",
        "msg.payload = { id: msg.result.id, total: msg.result.total };",
        // http request sends msg.headers; the webhook's own must not go along.
        "msg.headers = { 'content-type': 'application/json' };",
        "return msg;",
      ].join("\n"),
      outputs: 1,
      wires: [["post"]],
    },
    {
      id: "post",
      type: "http request",
      z: tab,
      name: "sink",
      method: "POST",
      ret: "txt",
      paytoqs: "ignore",
      url: options.sinkUrl,
      tls: "",
      persist: true,
      wires: [["restore"]],
    },
    {
      id: "restore",
      type: "change",
      z: tab,
      name: "result",
      // After http request, msg.headers and msg.statusCode are the sink's: drop them so the answer is ours.
      rules: [
        { t: "set", p: "payload", pt: "msg", to: "result", tot: "msg" },
        { t: "delete", p: "headers", pt: "msg" },
        { t: "delete", p: "statusCode", pt: "msg" },
      ],
      wires: [["out"]],
    },
    { id: "out", type: "http response", z: tab, name: "answer", statusCode: "200", headers: {}, wires: [] },
  ];
  // A node without a position is read as a configuration node.
  const placed = flows.map((node, index) => (node.type === "tab" ? node : { ...node, x: 150 + index * 200, y: 100 }));
  writeFileSync(path.join(userDir, "flows.json"), JSON.stringify(placed, null, 2));
  writeFileSync(
    path.join(userDir, "settings.js"),
    [
      "module.exports = {",
      "  flowFile: 'flows.json',",
      "  credentialSecret: false,",
      "  httpAdminRoot: false,",
      "  httpNodeRoot: '/',",
      "  uiHost: '127.0.0.1',",
      "  diagnostics: { enabled: false, ui: false },",
      "  runtimeState: { enabled: false, ui: false },",
      "  telemetry: { enabled: false, updateNotification: false },",
      "  logging: { console: { level: 'warn', metrics: false, audit: false } },",
      "  functionExternalModules: false,",
      "  externalModules: { autoInstall: false, palette: { allowInstall: false }, modules: { allowInstall: false } },",
      "};",
      "",
    ].join("\n"),
  );
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/hook`;
  const start = () =>
    startService({
      name: "Node-RED",
      command: process.execPath,
      args: [path.join(options.installDir, "node_modules", "node-red", "red.js"), "-u", userDir, "-p", String(port), "-s", path.join(userDir, "settings.js")],
      cwd: userDir,
      env: { NODE_ENV: "production" },
      logFile: path.join(options.workDir, "node-red.log"),
      // GET on a POST-only route: 404 once the flows are running.
      readyUrl: url,
    });
  let service: TService = await start();
  return {
    name: "Node-RED",
    hookUrl: url,
    crash: {
      url,
      accepted: "answer-or-in-flight",
      acceptStatus: 200,
      meaning:
        "Node-RED holds a message only in memory: a request in flight when the process dies is gone, and nothing is replayed after a restart. Accepted = answered, or cut off by the kill.",
    },
    kill9: () => service.kill9(),
    restart: async () => {
      service = await start();
    },
    pending: async () => 0,
    stateAfterRestart: async () => "no record of messages (in memory only)",
    facts: "Node-RED 4.1, one process, flows.json, no editor",
    stop: () => service.stop(),
  };
}
