// Stylesheets imported by the bundle (Bun's bundler collects them into main.css).
declare module "*.css";
