import { createTest, type TestFunction } from "./create_test.ts";

export type { TestContext, TestFn, TestOptions } from "./test_options.ts";

export const test: TestFunction = await createTest();
