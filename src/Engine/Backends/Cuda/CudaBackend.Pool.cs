using System.Runtime.InteropServices;
using Engine.Backends.Cuda.Driver;
using Engine.Ops;

namespace Engine.Backends.Cuda;

/// <summary>
/// Max and average pooling (kernels/pool.cu). Each call uploads its windows (<see cref="PoolAxis"/> tables, a few hundred
/// bytes, queued like any upload) so that any window, sliding or adaptive, runs on the same kernels.
/// </summary>
internal sealed unsafe partial class CudaBackend
{
    /// <summary>kernels/pool.cu's PoolAxis: one axis's window table on the device.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private readonly record struct PoolAxisTable(ulong Table, int Size, int Outputs, int Step, int Pad);

    public void MaxPool2d(BufferView x, BufferView y, BufferView indices, Pool2dWindows windows)
    {
        RequireContiguous("MaxPool2d", y);
        RequireContiguous("MaxPool2d", indices);
        long total = y.Count;
        if (total == 0) return;
        PoolKernel($"max_pool2d_{KernelNames.Suffix(x.DType)}", windows, total, (ref KernelArguments arguments, PoolAxisTable rows, PoolAxisTable columns) =>
        {
            arguments.Add(total);
            arguments.Add(x.Shape[1]);
            arguments.Add(Address(x));
            arguments.Add(ImageStrides.Of(x));
            arguments.Add(rows);
            arguments.Add(columns);
            arguments.Add(Address(y));
            arguments.Add(Address(indices));
        });
    }

    public void MaxPool2dBackward(BufferView gy, BufferView indices, BufferView gx, Pool2dWindows windows)
    {
        RequireContiguous("MaxPool2dBackward", gx);
        long total = gx.Count;
        if (total == 0) return;
        var temporaries = new List<Storage>();
        try
        {
            var gradient = Contiguous(gy, temporaries);
            var positions = Contiguous(indices, temporaries);
            PoolKernel($"max_pool2d_backward_{KernelNames.Suffix(gy.DType)}", windows, total, (ref KernelArguments arguments, PoolAxisTable rows, PoolAxisTable columns) =>
            {
                arguments.Add(total);
                arguments.Add(Address(gradient));
                arguments.Add(Address(positions));
                arguments.Add(rows);
                arguments.Add(columns);
                arguments.Add(Address(gx));
            });
        }
        finally
        {
            foreach (var storage in temporaries) storage.Release();
        }
    }

    public void AvgPool2d(BufferView x, BufferView y, Pool2dWindows windows)
    {
        RequireContiguous("AvgPool2d", y);
        long total = y.Count;
        if (total == 0) return;
        PoolKernel($"avg_pool2d_{KernelNames.Suffix(x.DType)}", windows, total, (ref KernelArguments arguments, PoolAxisTable rows, PoolAxisTable columns) =>
        {
            arguments.Add(total);
            arguments.Add(x.Shape[1]);
            arguments.Add(Address(x));
            arguments.Add(ImageStrides.Of(x));
            arguments.Add(rows);
            arguments.Add(columns);
            arguments.Add(Address(y));
        });
    }

    public void AvgPool2dTranspose(BufferView gy, BufferView gx, Pool2dWindows windows)
    {
        RequireContiguous("AvgPool2dTranspose", gx);
        long total = gx.Count;
        if (total == 0) return;
        var temporaries = new List<Storage>();
        try
        {
            var gradient = Contiguous(gy, temporaries);
            PoolKernel($"avg_pool2d_transpose_{KernelNames.Suffix(gy.DType)}", windows, total, (ref KernelArguments arguments, PoolAxisTable rows, PoolAxisTable columns) =>
            {
                arguments.Add(total);
                arguments.Add(Address(gradient));
                arguments.Add(rows);
                arguments.Add(columns);
                arguments.Add(Address(gx));
            });
        }
        finally
        {
            foreach (var storage in temporaries) storage.Release();
        }
    }

    private delegate void PoolArguments(ref KernelArguments arguments, PoolAxisTable rows, PoolAxisTable columns);

    /// <summary>Uploads the windows' tables, packs the kernel's arguments and launches a thread per element of <paramref name="total"/>.</summary>
    private void PoolKernel(string kernel, Pool2dWindows windows, long total, PoolArguments pack)
    {
        int[] rowTable = Table(windows.Rows), columnTable = Table(windows.Columns);
        int[] both = [.. rowTable, .. columnTable];
        ulong tables = allocator.Allocate((long)both.Length * sizeof(int));
        try
        {
            fixed (int* source = both) driver.CopyToDevice(tables, source, (long)both.Length * sizeof(int));
            var arguments = new KernelArguments();
            pack(ref arguments,
                new PoolAxisTable(tables, windows.Rows.Size, windows.Rows.Outputs, windows.Rows.Step, 0),
                new PoolAxisTable(tables + (ulong)(rowTable.Length * sizeof(int)), windows.Columns.Size, windows.Columns.Outputs, windows.Columns.Step, 0));
            Launch(KernelNames.Pool, kernel, launch.Elementwise(total), arguments);
        }
        finally
        {
            allocator.Free(tables);
        }
    }

    /// <summary>
    /// kernels/pool.cu's table of one axis: each window's first tap, taps and divisor, then for each input position the
    /// first window that reaches it and one past the last. Windows' first and last taps inside the input never decrease
    /// from one window to the next (sliding and adaptive windows alike), so the windows reaching a position are a run.
    /// </summary>
    private static int[] Table(PoolAxis axis)
    {
        int outputs = axis.Outputs, size = axis.Size;
        var table = new int[3 * outputs + 2 * size];
        var reach = new (int From, int To)[outputs];
        for (int o = 0; o < outputs; o++)
        {
            table[o] = axis.Starts[o];
            table[outputs + o] = axis.Taps[o];
            table[2 * outputs + o] = axis.Divisors[o];
            reach[o] = axis.Reach(o);
        }
        for (int i = 0, first = 0, end = 0; i < size; i++)
        {
            while (first < outputs && reach[first].To <= i) first++;
            while (end < outputs && reach[end].From <= i) end++;
            table[3 * outputs + i] = first;
            table[3 * outputs + size + i] = end;
        }
        return table;
    }
}
