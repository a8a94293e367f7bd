// The opening worker of the schedules task: its code bundled into the worker's one script (no chunks to fetch after it).
import { schedulesTask } from "../../views/schedules/task.ts";
import { serveOne, type Task } from "../serve.ts";

serveOne("schedules", schedulesTask as Task);
