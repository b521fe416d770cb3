using Engine.Backends.Cuda.Native;

namespace Engine.Backends.Cuda.Driver;

/// <summary>
/// Two page-locked host buffers through which host memory reaches the device: a copy is packed into a buffer
/// and queued as an asynchronous DMA on the stream, so uploads return before the transfer ends and alternate
/// buffers overlap packing with transfer. An event per buffer says when it may be refilled. Callers hold the
/// driver's lock.
/// </summary>
internal sealed unsafe class PinnedStaging : IDisposable
{
    private const long ChunkBytes = 8 << 20;

    private readonly IntPtr stream;
    private readonly byte*[] buffers = new byte*[2];
    private readonly IntPtr[] events = new IntPtr[2];
    private readonly bool[] pending = new bool[2];
    private int next;

    public PinnedStaging(IntPtr stream) => this.stream = stream;

    public void Upload(ulong destination, byte* source, long bytes)
    {
        for (long done = 0; done < bytes; done += ChunkBytes)
        {
            long length = Math.Min(ChunkBytes, bytes - done);
            int slot = Take();
            Buffer.MemoryCopy(source + done, buffers[slot], ChunkBytes, length);
            CudaDriverApi.cuMemcpyHtoDAsync(destination + (ulong)done, buffers[slot], (nuint)length, stream).Check("cuMemcpyHtoDAsync", $"{length} bytes");
            CudaDriverApi.cuEventRecord(events[slot], stream).Check("cuEventRecord");
            pending[slot] = true;
        }
    }

    public void Download(byte* destination, ulong source, long bytes)
    {
        for (long done = 0; done < bytes; done += ChunkBytes)
        {
            long length = Math.Min(ChunkBytes, bytes - done);
            int slot = Take();
            CudaDriverApi.cuMemcpyDtoHAsync(buffers[slot], source + (ulong)done, (nuint)length, stream).Check("cuMemcpyDtoHAsync", $"{length} bytes");
            CudaDriverApi.cuStreamSynchronize(stream).Check("cuStreamSynchronize");
            Buffer.MemoryCopy(buffers[slot], destination + done, length, length);
        }
    }

    /// <summary>The next buffer, allocated at first use, once its previous transfer has finished.</summary>
    private int Take()
    {
        int slot = next;
        next ^= 1;
        if (buffers[slot] == null)
        {
            void* memory;
            CudaDriverApi.cuMemHostAlloc(&memory, (nuint)ChunkBytes, CudaDriverApi.HostAllocPortable).Check("cuMemHostAlloc", $"{ChunkBytes} bytes");
            buffers[slot] = (byte*)memory;
            IntPtr e;
            CudaDriverApi.cuEventCreate(&e, CudaDriverApi.EventDefault).Check("cuEventCreate");
            events[slot] = e;
        }
        else if (pending[slot])
        {
            CudaDriverApi.cuEventSynchronize(events[slot]).Check("cuEventSynchronize");
            pending[slot] = false;
        }
        return slot;
    }

    public void Dispose()
    {
        for (int slot = 0; slot < 2; slot++)
        {
            if (buffers[slot] == null) continue;
            CudaDriverApi.cuEventSynchronize(events[slot]);
            CudaDriverApi.cuEventDestroy(events[slot]);
            CudaDriverApi.cuMemFreeHost(buffers[slot]);
            buffers[slot] = null;
        }
    }
}
