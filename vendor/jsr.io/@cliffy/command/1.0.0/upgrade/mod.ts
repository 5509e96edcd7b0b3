export { Provider, type Versions } from "./provider.ts";
export {
  UpgradeCommand,
  type UpgradeCommandOptions,
} from "./upgrade_command.ts";
