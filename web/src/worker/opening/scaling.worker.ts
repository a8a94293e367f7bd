// The opening worker of the scaling task: its code bundled into the worker's one script (no chunks to fetch after it).
import { scalingTask } from "../../views/scaling/task.ts";
import { serveOne, type Task } from "../serve.ts";

serveOne("scaling", scalingTask as Task);
