// The opening worker of the plan task: its code bundled into the worker's one script (no chunks to fetch after it).
import { planTask } from "../../views/plan/task.ts";
import { serveOne, type Task } from "../serve.ts";

serveOne("plan", planTask as Task);
