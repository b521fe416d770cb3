using Engine.Backends;
using Engine.Backends.Cuda;
using Engine.Backends.Cuda.Driver;

namespace Engine.GpuBench;

/// <summary>Times device work with CUDA events on the device's stream: warm-up calls first, then the median of single timed calls.</summary>
internal sealed class EventTimer : IDisposable
{
    private readonly ICudaDriver driver;
    private readonly IntPtr start, end;

    public EventTimer(Device device)
    {
        driver = ((CudaBackend)BackendRegistry.For(device)).Driver;
        start = driver.CreateEvent();
        end = driver.CreateEvent();
    }

    /// <summary>Median milliseconds of one call over <paramref name="repetitions"/> calls, after <paramref name="warmup"/> untimed ones.</summary>
    public double Median(Action call, int warmup, int repetitions)
    {
        for (int i = 0; i < warmup; i++) call();
        var times = new double[repetitions];
        for (int i = 0; i < repetitions; i++)
        {
            driver.RecordEvent(start);
            call();
            driver.RecordEvent(end);
            times[i] = driver.ElapsedMilliseconds(start, end);
        }
        Array.Sort(times);
        return repetitions % 2 == 1 ? times[repetitions / 2] : (times[repetitions / 2 - 1] + times[repetitions / 2]) / 2;
    }

    public void Dispose()
    {
        driver.DestroyEvent(start);
        driver.DestroyEvent(end);
    }
}
