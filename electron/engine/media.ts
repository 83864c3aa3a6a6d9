// Moved to electron/common/media.ts (Node-free, shared with the renderer).
export * from '../common/media';
