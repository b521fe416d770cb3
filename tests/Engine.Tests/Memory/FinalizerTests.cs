using System.Runtime.CompilerServices;
using Engine.Autodiff;
using Engine.Memory;
using Xunit;

namespace Engine.Tests.Memory;

/// <summary>The finalizer safety net returns and counts the memory of tensors nobody disposed.</summary>
[Collection(MemoryCounterCollection.Name)]
public class FinalizerTests
{
    private static readonly IMemoryStats Stats = DeviceMemory.Stats(Device.Cpu);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Forget(int elements) => Tensor.Ones([elements], DType.F64);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ForgetATapeAndItsTensors()
    {
        var x = Tensor.Ones([1000], DType.F64);
        x.RequiresGrad = true;
        var tape = Tape.Record();
        _ = (x.Exp() * x).Sum();
        tape.Dispose();
    }

    private static void CollectEverything()
    {
        for (int i = 0; i < 3; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
    }

    [Fact]
    public void A_forgotten_tensor_comes_back_through_the_finalizer_and_is_counted()
    {
        Assert.Null(TensorScope.Current);
        CollectEverything();
        long inUse = Stats.BytesInUse, count = Stats.FinalizedCount, freed = Stats.BytesFreedByFinalizer;
        Forget(100_000);
        Assert.Equal(inUse + CpuAllocator.BlockSize(800_000), Stats.BytesInUse);
        CollectEverything();
        Assert.Equal(inUse, Stats.BytesInUse);
        Assert.Equal(count + 1, Stats.FinalizedCount);
        Assert.Equal(freed + CpuAllocator.BlockSize(800_000), Stats.BytesFreedByFinalizer);
    }

    [Fact]
    public void Forgotten_tensors_of_a_recorded_step_all_come_back()
    {
        Assert.Null(TensorScope.Current);
        CollectEverything();
        long inUse = Stats.BytesInUse, count = Stats.FinalizedCount;
        ForgetATapeAndItsTensors();
        CollectEverything();
        Assert.Equal(inUse, Stats.BytesInUse);
        Assert.True(Stats.FinalizedCount >= count + 4, $"{Stats.FinalizedCount - count} storages finalized, expected x, exp, product and sum");
    }

    [Fact]
    public void Disposed_tensors_are_never_counted_as_finalized()
    {
        CollectEverything();
        long count = Stats.FinalizedCount;
        for (int i = 0; i < 100; i++) Tensor.Ones([64]).Dispose();
        using (TensorScope.Begin())
            for (int i = 0; i < 100; i++) _ = Tensor.Ones([64]) + 1;
        CollectEverything();
        Assert.Equal(count, Stats.FinalizedCount);
    }

    [Fact]
    public void Disposing_one_tensor_from_two_threads_at_once_releases_it_once()
    {
        long inUse = Stats.BytesInUse;
        for (int round = 0; round < 200; round++)
        {
            var x = Tensor.Ones([256]);
            var view = x.Reshape(16, 16);
            using var start = new Barrier(2);
            Parallel.Invoke(() => { start.SignalAndWait(); x.Dispose(); }, () => { start.SignalAndWait(); x.Dispose(); });
            Assert.True(x.IsDisposed);
            Assert.Equal(1f, view.ToArray<float>()[0]);
            view.Dispose();
        }
        Assert.Equal(inUse, Stats.BytesInUse);
    }
}
