export * from './partners';
export * from './mapping';
export * from './runs';
export * from './ownership';
export * from './notifications';
export * from './console';
export * from './review';
export * from './billing';
