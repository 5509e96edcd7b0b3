export { BashCompletionsCommand } from "./bash.ts";
export { FishCompletionsCommand } from "./fish.ts";
export { ZshCompletionsCommand } from "./zsh.ts";
export { CompletionsCommand } from "./completions_command.ts";
export {
  generateShellCompletions,
  type GenerateShellCompletionsOptions,
} from "./generate.ts";
