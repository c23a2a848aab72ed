// Yardstick for the `tfjs-model stats` benchmark (bench/stats_bench.sh): the minimal one-pass
// loop over a model's float32 shards. Each of 2 threads takes every other shard, maps it
// (mmap) and folds its values into min, max, sum, sum of squares and a zero count; the totals
// are printed so the work cannot be optimized away. No tensor boundaries, no NaN/Inf handling,
// no histogram, no second pass: the least any statistics tool must do.
//
// Usage: stats_bench_yardstick SHARD...
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <limits>
#include <thread>
#include <vector>

namespace {

struct Totals
{
    double min = std::numeric_limits<double>::infinity();
    double max = -std::numeric_limits<double>::infinity();
    double sum = 0;
    double sumSquares = 0;
    std::int64_t zeros = 0;
    std::int64_t count = 0;
    bool failed = false;
};

void scan(const char *path, Totals &t)
{
    const int fd = open(path, O_RDONLY);
    if (fd < 0) {
        std::perror(path);
        t.failed = true;
        return;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || st.st_size < 4) {
        close(fd);
        return;
    }
    const std::size_t size = std::size_t(st.st_size);
    void *map = mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (map == MAP_FAILED) {
        std::perror(path);
        t.failed = true;
        return;
    }
    const std::size_t n = size / 4;
    const float *values = static_cast<const float *>(map);
    float lo = std::numeric_limits<float>::infinity();
    float hi = -lo;
    double sum = 0, sumSquares = 0;
    std::int64_t zeros = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const float x = values[i];
        lo = x < lo ? x : lo;
        hi = x > hi ? x : hi;
        sum += x;
        sumSquares += double(x) * x;
        zeros += x == 0.0f;
    }
    munmap(map, size);
    t.min = std::min(t.min, double(lo));
    t.max = std::max(t.max, double(hi));
    t.sum += sum;
    t.sumSquares += sumSquares;
    t.zeros += zeros;
    t.count += std::int64_t(n);
}

} // namespace

int main(int argc, char **argv)
{
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s SHARD...\n", argv[0]);
        return 2;
    }
    constexpr int kThreads = 2;
    std::vector<Totals> totals(kThreads);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 1 + t; i < argc; i += kThreads)
                scan(argv[i], totals[std::size_t(t)]);
        });
    }
    for (std::thread &thread : threads)
        thread.join();
    Totals all;
    for (const Totals &t : totals) {
        all.failed = all.failed || t.failed;
        all.min = std::min(all.min, t.min);
        all.max = std::max(all.max, t.max);
        all.sum += t.sum;
        all.sumSquares += t.sumSquares;
        all.zeros += t.zeros;
        all.count += t.count;
    }
    std::printf("values %lld min %.9g max %.9g mean %.9g sumsq %.9g zeros %lld\n",
                static_cast<long long>(all.count), all.min, all.max,
                all.count ? all.sum / double(all.count) : 0.0, all.sumSquares,
                static_cast<long long>(all.zeros));
    return all.failed ? 1 : 0;
}
