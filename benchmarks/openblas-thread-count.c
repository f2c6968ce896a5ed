// Shows why the package does not let OpenBLAS thread (docs/PERFORMANCE.md, "Determinism and its cost"):
// the same dgemm (the random-feature lift's shape, 5 × 20 000 × 40), repeated while another thread changes
// OpenBLAS's global thread count, returns other bits on kernel sets whose edge kernels sum differently.
//   cc -O2 benchmarks/openblas-thread-count.c $(pkg-config --cflags --libs openblas) -lpthread -o /tmp/otc
//   for c in Prescott Haswell Zen SkylakeX; do OPENBLAS_CORETYPE=$c /tmp/otc; done
#include <cblas.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { M = 5, K = 40, N = 20000, CALLS = 500 };
static double x[M * K], r[N * K], first[M * N], again[M * N];
static volatile int stop = 0;

static void lift(double *z) {
  cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, M, N, K, 1.0, x, K, r, K, 0.0, z, N);
}

static void *toggle(void *unused) {
  (void)unused;
  while (!stop) { openblas_set_num_threads(1); openblas_set_num_threads(2); }
  return NULL;
}

int main(void) {
  srand(1);
  for (int i = 0; i < M * K; i++) x[i] = rand() / (double)RAND_MAX - 0.5;
  for (int i = 0; i < N * K; i++) r[i] = rand() / (double)RAND_MAX - 0.5;
  openblas_set_num_threads(2);
  lift(first);
  int alone = 0;
  for (int c = 0; c < CALLS; c++) { lift(again); alone += memcmp(first, again, sizeof first) != 0; }
  pthread_t t;
  pthread_create(&t, NULL, toggle, NULL);
  int toggled = 0;
  for (int c = 0; c < CALLS; c++) { lift(again); toggled += memcmp(first, again, sizeof first) != 0; }
  stop = 1;
  pthread_join(t, NULL);
  printf("core %-10s differing calls: %3d/%d with the thread count left alone, %3d/%d while another thread changes it\n",
         openblas_get_corename(), alone, CALLS, toggled, CALLS);
  return 0;
}
