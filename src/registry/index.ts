/**
 * The resource registry: every kind the simulated apiserver serves, with
 * its discovery facts, table columns, field selectors, defaults and
 * validation, taken from upstream Kubernetes (1.32).
 */
export { createRegistry, builtinResources, compareVersions, type Registry, type GroupInfo } from './registry.js';
export { validateName, isConfigMapKey, isDNS1035Label, isDNS1123Label, isDNS1123Subdomain, isPathSegmentName } from './names.js';
export { translateTimestampSince, humanDuration, formatLabels, formatLabelSelector, labelSelectorString } from './columns.js';
export { coreEventToEventsV1, eventsV1ToCoreEvent } from './events.js';
export * from './types.js';
