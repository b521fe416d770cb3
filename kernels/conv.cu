// Convolutions lowered to GEMMs (Backends/Cuda/CudaBackend.ConvGemm.cs): im2col copies every receptive field of a
// chunk of images into a column matrix that cuBLAS multiplies with the weights; col2im folds a column matrix back
// into images (the transposed convolution), each image element summing the columns that reach it, in a fixed
// order and without atomics. Entry points: im2col_<dtype>, col2im_<dtype>.
#include "common.cuh"

// The sizes of a convolution over a chunk of `images` images (ConvKernelShape.cs packs the same bytes).
struct ConvShape
{
    int images, channels, height, width;
    int kernel_h, kernel_w, out_h, out_w;
    int stride_h, stride_w, pad_h, pad_w;
    int dilation_h, dilation_w;
};

// Column element (image n, row (c * kernel_h + r) * kernel_w + s, pixel p * out_w + q) lives at
// n * image + row * row + pixel: one [rows, pixels] matrix per image for the forward products, or one
// [rows, images * pixels] matrix for the weight gradient.
struct ColumnStrides
{
    i64 image, row;
};

// A thread per (image, channel, output pixel) writes that pixel's kernel_h * kernel_w taps, zero in the padding.
template <typename T>
__device__ __forceinline__ void im2col(i64 total, ConvShape s, const T* x, ImageStrides xs, T* col, ColumnStrides cs)
{
    i64 pixels = (i64)s.out_h * s.out_w;
    int taps = s.kernel_h * s.kernel_w;
    for (i64 i = global_thread(); i < total; i += global_threads())
    {
        i64 pixel = i % pixels, plane = i / pixels;
        i64 n = plane / s.channels;
        int c = (int)(plane - n * s.channels), p = (int)(pixel / s.out_w), q = (int)(pixel - (i64)p * s.out_w);
        const T* image = x + n * xs.n + c * xs.c;
        T* column = col + n * cs.image + (i64)c * taps * cs.row + pixel;
        for (int r = 0; r < s.kernel_h; ++r)
        {
            int h = p * s.stride_h - s.pad_h + r * s.dilation_h;
            for (int t = 0; t < s.kernel_w; ++t)
            {
                int w = q * s.stride_w - s.pad_w + t * s.dilation_w;
                bool inside = (unsigned)h < (unsigned)s.height && (unsigned)w < (unsigned)s.width;
                column[(i64)(r * s.kernel_w + t) * cs.row] = inside ? image[h * xs.h + w * xs.w] : T(0);
            }
        }
    }
}

// A thread per element of the contiguous images: the sum of the column elements whose tap lands on it, taps in
// row-major order (as the CPU's col2im adds them), added to the element when `accumulate` (a bias already there).
template <typename T>
__device__ __forceinline__ void col2im(i64 total, ConvShape s, const T* col, ColumnStrides cs, T* images, int accumulate)
{
    i64 plane = (i64)s.height * s.width;
    int taps = s.kernel_h * s.kernel_w;
    for (i64 i = global_thread(); i < total; i += global_threads())
    {
        i64 at = i % plane, image = i / plane;
        i64 n = image / s.channels;
        int c = (int)(image - n * s.channels), h = (int)(at / s.width), w = (int)(at - (i64)h * s.width);
        const T* rows = col + n * cs.image + (i64)c * taps * cs.row;
        T sum = T(0);
        for (int r = 0; r < s.kernel_h; ++r)
        {
            int ph = h + s.pad_h - r * s.dilation_h;
            if (ph < 0 || ph % s.stride_h != 0 || ph / s.stride_h >= s.out_h) continue;
            for (int t = 0; t < s.kernel_w; ++t)
            {
                int pw = w + s.pad_w - t * s.dilation_w;
                if (pw < 0 || pw % s.stride_w != 0 || pw / s.stride_w >= s.out_w) continue;
                sum += rows[(i64)(r * s.kernel_w + t) * cs.row + (i64)(ph / s.stride_h) * s.out_w + pw / s.stride_w];
            }
        }
        images[i] = accumulate ? images[i] + sum : sum;
    }
}

#define CONV_KERNELS(T, suffix) \
    extern "C" __global__ void im2col_##suffix(i64 total, ConvShape shape, const T* x, ImageStrides strides, T* col, ColumnStrides columns) \
    { \
        im2col(total, shape, x, strides, col, columns); \
    } \
    EXPORT_KERNEL(im2col_##suffix) \
    extern "C" __global__ void col2im_##suffix(i64 total, ConvShape shape, const T* col, ColumnStrides columns, T* images, int accumulate) \
    { \
        col2im(total, shape, col, columns, images, accumulate); \
    } \
    EXPORT_KERNEL(col2im_##suffix)

CONV_KERNELS(float, f32)
CONV_KERNELS(double, f64)
