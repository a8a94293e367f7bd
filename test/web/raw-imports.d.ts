// Vite's `?raw` imports (vite/client declares them for web/tsconfig.json), for tests that reach web code importing
// one (test/web/opening-workers.test.ts → first-requests.ts → the worker tasks' types → views/scaling/task.ts).
declare module "*?raw" {
  const content: string;
  export default content;
}
