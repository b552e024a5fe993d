/** "1 step", "3 steps": the count with the word that fits it. */
export const plural = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;
