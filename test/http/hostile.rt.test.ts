// Hostile programs against the real server, on a quiet machine (the serial real-time pass): every click on
// its frame, every answer within 50 ms; see hostile-suite.ts.
import { hostileSuite } from "./hostile-suite.ts";

hostileSuite(true);
