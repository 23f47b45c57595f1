/**
 * Entry point of the editor bundle (web/build.ts bundles it into web/dist).
 * @module
 */
import "./style.css";
import { startApp } from "./app.ts";

startApp();
