// The opening worker of the run task: its code bundled into the worker's one script (no chunks to fetch after it).
import { runTask } from "../../views/run/task.ts";
import { serveOne, type Task } from "../serve.ts";

serveOne("run", runTask as Task);
