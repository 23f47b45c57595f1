// Hostile programs against the real server, on a busy machine (the ordinary pass); see hostile-suite.ts.
import { hostileSuite } from "./hostile-suite.ts";

hostileSuite(false);
