// Lowers this process's CPU priority, so that its work yields to the processes above it.
// Two settings, because Linux shares CPU time between groups of tasks before it looks at
// nice values inside a group:
// - the process's nice value orders it below the other tasks of its own group;
// - with automatic grouping on (sched_autogroup), each session is a group, and a busy
//   group gets an equal share against another's (the web process, PostgreSQL) whatever
//   its tasks' nice values. The caller must be a session of its own (started detached),
//   or it would lower its parent's group too; this sets that group's nice value.
// SCHED_IDLE, which the kernel preempts for any normal task, was measured too and was no
// better for the webhook path (bench/README.md, "What is left of a sign-in's cost").
// For server.ts's auth process (lib/web/auth-process.ts). lib/auth/bcrypt-worker.mjs
// does the same for itself: the bundler copies that file alone into the build, so it
// cannot import this one. Failing is harmless (not Linux, a sandbox): the process then
// runs at normal priority.
import { writeFileSync } from "node:fs";
import os from "node:os";

export function lowerOwnPriority(nice: number): void {
  if (process.platform !== "linux") return;
  try {
    os.setPriority(nice);
  } catch {
    // Not permitted here.
  }
  try {
    writeFileSync("/proc/self/autogroup", String(nice));
  } catch {
    // No automatic grouping in this kernel, or not permitted.
  }
}
