import next from "eslint-config-next";

const config = [
  { ignores: ["lib/db/generated/**", ".next/**", ".next-*/**", "public/probe.mjs", "node_modules/**", "coverage/**"] },
  ...next,
];

export default config;
