// Shim over OpenBLAS: CBLAS, the OpenBLAS runtime queries and the few LAPACK
// routines the project calls (OpenBLAS ships LAPACK in the same library).
#ifndef UNLEARNING_BLAS_H
#define UNLEARNING_BLAS_H

#include <cblas.h>

// LAPACK (Fortran calling convention, column-major).
void dpotrf_(const char *uplo, const int *n, double *a, const int *lda, int *info);
void dpotrs_(const char *uplo, const int *n, const int *nrhs, const double *a,
             const int *lda, double *b, const int *ldb, int *info);

#endif
