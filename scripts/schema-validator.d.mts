// Types of scripts/schema-validator.mjs, for the test suite's global setup.
export declare function writeValidator(): Promise<boolean>;
export declare function validatorSource(): Promise<string>;
