export { HelpCommand } from "./help_command.ts";
