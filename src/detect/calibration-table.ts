import type { CalibrationPoints } from './calibration.js';

/**
 * Written by `npx tsx bench/calibrate.ts` from the benign accounts of dev-v1, dev-v2
 * (1980 benign:casual, 115 benign:tinker, 22 benign:bench, 90 benign:cohort, 15 benign:batch, 6 benign:saas): raw evidence levels and the
 * estimated share of legitimate accounts of the most exposed kind reaching each.
 */
export const CALIBRATION_POINTS: CalibrationPoints = {"raws":[0,0.01,0.07,0.1,0.11,0.12,0.13,0.14,0.15,0.16,0.17,0.18,0.19,0.2,0.21,0.22,0.23,0.24,0.25,0.26,0.27,0.28,0.29,0.3,0.31,0.32,0.33,0.34,0.35,0.36,0.37,0.38,0.39,0.4,0.41,0.42,0.43,0.44,0.45,0.46,0.47,0.48,0.49,0.5,0.51,0.52,0.53,0.54,0.55,0.56,0.57,0.58,0.59,0.6,0.61,0.62,0.63,0.64],"tails":[1,0.667,0.5,0.452,0.274,0.166,0.101,0.0612,0.0371,0.0225,0.0137,0.00829,0.00503,0.00305,0.00185,0.00112,0.00068,0.000413,0.00025,0.000152,0.0000921,0.0000558,0.0000339,0.0000205,0.0000125,0.00000756,0.00000458,0.00000278,0.00000169,0.00000102,6.2e-7,3.76e-7,2.28e-7,1.38e-7,8.39e-8,5.09e-8,3.09e-8,1.87e-8,1.14e-8,6.89e-9,4.18e-9,2.53e-9,1.54e-9,9.33e-10,5.66e-10,3.43e-10,2.08e-10,1.26e-10,7.65e-11,4.64e-11,2.82e-11,1.71e-11,1.04e-11,6.28e-12,3.81e-12,2.31e-12,1.4e-12,1e-12]};
