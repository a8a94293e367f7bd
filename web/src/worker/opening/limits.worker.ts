// The opening worker of the limits task: its code bundled into the worker's one script (no chunks to fetch after it).
import { limitsTask } from "../../views/limits/task.ts";
import { serveOne, type Task } from "../serve.ts";

serveOne("limits", limitsTask as Task);
