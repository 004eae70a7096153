// Process-wide memory allocator settings for programs that decode many
// large images in a row.
#pragma once

namespace bulwark {

// glibc serves every allocation above its mmap threshold (at most 32 MiB)
// with a fresh mmap and returns it on free, so each 12-megapixel image's
// 36 MB pixel buffer costs ~9,000 page faults and a zero-fill by the kernel:
// a third of the time to hash it. Raising the mmap and trim thresholds lets
// freed buffers be reused by the next image, and one arena for all threads
// lets any worker reuse them (thread arenas cannot hold blocks over 64 MB;
// a few allocations per image make lock contention negligible). Call once
// at the top of main(), before any thread starts. Memory stays bounded by
// the largest images in flight, which the decode limits bound.
void TuneAllocatorForLargeImages();

}  // namespace bulwark
