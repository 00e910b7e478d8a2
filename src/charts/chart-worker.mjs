/**
 * The entry point of a chart worker thread. Faceoff runs its TypeScript through tsx: a worker
 * started from a tsx process inherits its loader and imports the task directly; otherwise tsx's
 * API loads it.
 */
async function loadTask() {
  try {
    return await import('./chart-task.ts');
  } catch (error) {
    if (error?.code !== 'ERR_UNKNOWN_FILE_EXTENSION') throw error;
    const { tsImport } = await import('tsx/esm/api');
    return tsImport('./chart-task.ts', import.meta.url);
  }
}

const task = await loadTask();

export default task.default;
