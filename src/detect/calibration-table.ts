import type { CalibrationPoints } from './calibration.js';

/**
 * Written by `npx tsx bench/calibrate.ts` from the benign accounts of dev-v1, dev-v2
 * (1980 benign:casual, 115 benign:tinker, 22 benign:bench, 90 benign:cohort, 15 benign:batch, 6 benign:saas): raw evidence levels and the
 * estimated share of legitimate accounts of the most exposed kind reaching each.
 */
export const CALIBRATION_POINTS: CalibrationPoints = {"raws":[0,0.01,0.12,0.13,0.14,0.15,0.16,0.17,0.18,0.19,0.2,0.21,0.22,0.23,0.24,0.25,0.26,0.27,0.28,0.29,0.3,0.31,0.32,0.33,0.34,0.35,0.36,0.37,0.38,0.39,0.4,0.41,0.42,0.43,0.44,0.45,0.46,0.47,0.48,0.49,0.5,0.51,0.52,0.53,0.54,0.55,0.56,0.57,0.58,0.59,0.6,0.61,0.62,0.63,0.64,0.65,0.66],"tails":[1,0.5,0.352,0.214,0.13,0.0786,0.0477,0.0289,0.0175,0.0106,0.00645,0.00391,0.00237,0.00144,0.000873,0.00053,0.000321,0.000195,0.000118,0.0000717,0.0000435,0.0000264,0.000016,0.0000097,0.00000588,0.00000357,0.00000216,0.00000131,7.96e-7,4.83e-7,2.93e-7,1.78e-7,1.08e-7,6.54e-8,3.97e-8,2.4e-8,1.46e-8,8.85e-9,5.37e-9,3.25e-9,1.97e-9,1.2e-9,7.26e-10,4.4e-10,2.67e-10,1.62e-10,9.83e-11,5.96e-11,3.62e-11,2.19e-11,1.33e-11,8.07e-12,4.89e-12,2.97e-12,1.8e-12,1.09e-12,1e-12]};
