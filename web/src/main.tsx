import { firstRequests } from "./first-requests.ts";
import { startEarlyRequests } from "./worker/early-requests.ts";

// The opening view's first computations start before the app's own (larger) code is loaded: the state is read from
// the link with the same codecs the app uses, and each request goes to its own worker at once. The view's first
// result then waits for the slower of the two (worker start + compute, app load + render) instead of their sum;
// the view takes the running request over when it renders (web/src/worker/early-requests.ts).
startEarlyRequests(firstRequests(window.location.search));
void import("./boot.tsx").then((boot) => boot.mount());
