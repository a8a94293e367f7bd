// The opening worker of the sweep task: its code bundled into the worker's one script (no chunks to fetch after it).
import { sweepTask } from "../../views/schedules/sweep-task.ts";
import { serveOne, type Task } from "../serve.ts";

serveOne("sweep", sweepTask as Task);
