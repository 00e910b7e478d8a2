/** The part of jStat (https://github.com/jstat/jstat) this project uses; the package ships no types. */
declare module 'jstat' {
  interface JStatStatic {
    mean(values: number[]): number;
    /** Standard deviation; `sample` true divides by n - 1. */
    stdev(values: number[], sample?: boolean): number;
    studentt: {
      /** Quantile function of Student's t with `dof` degrees of freedom. */
      inv(p: number, dof: number): number;
      cdf(x: number, dof: number): number;
    };
  }
  const jstat: { jStat: JStatStatic };
  export default jstat;
}
