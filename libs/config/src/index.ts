export { ConfigValidationError, type ConfigProblem } from './config-error';
export { readEnvironment, parseEnvironment, env, type Environment } from './environment';
export { loadConnectwiseSimConfig, type ConnectwiseSimConfig } from './schemas/connectwise-sim.config';
export { loadConnectwiseClientConfig, type ConnectwiseClientConfig } from './schemas/connectwise-client.config';
export { loadControlPlaneConfig, type ControlPlaneConfig } from './schemas/control-plane.config';
export { loadPlatformConfig, type PlatformConfig } from './schemas/platform.config';
export { loadMessagingConfig, type MessagingConfig } from './schemas/messaging.config';
export { loadExportWorkerConfig, type ExportWorkerConfig } from './schemas/export-worker.config';
export { loadStorageConfig, type StorageConfig } from './schemas/storage.config';
