using System.Runtime.InteropServices;

namespace Engine.Backends.Cuda;

internal sealed unsafe partial class CudaBackend
{
    /// <summary>Codes of kernels/common.cuh's DeviceErrorCode.</summary>
    private enum DeviceErrorCode
    {
        None = 0,
        IndexSelect = 1,
        IndexAdd = 2,
        Gather = 3,
        ScatterAdd = 4,
        OneHot = 5,
        DivisionByZero = 6,
        CrossEntropy = 7,
    }

    /// <summary>kernels/common.cuh's DeviceError: the first error a kernel reported since the last check.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct DeviceErrorRecord
    {
        public DeviceErrorCode Code;
        public int Pad;
        public long Value;
        public long Limit;
    }

    private readonly ulong errorRecord;
    private volatile bool errorsQueued;

    /// <summary>The error record for a kernel that may report one; the next synchronisation reads it back.</summary>
    private ulong ErrorRecord()
    {
        errorsQueued = true;
        return errorRecord;
    }

    /// <summary>Reads the error record after a synchronisation; throws what the CPU backend would have thrown at the op.</summary>
    private void ThrowDeviceErrors()
    {
        if (!errorsQueued) return;
        errorsQueued = false;
        DeviceErrorRecord record;
        driver.CopyToHost(&record, errorRecord, sizeof(DeviceErrorRecord));
        if (record.Code == DeviceErrorCode.None) return;
        driver.SetBytes(errorRecord, 0, sizeof(DeviceErrorRecord));
        string where = $"(reported by {Device} at the first synchronisation after the kernel ran)";
        if (record.Code == DeviceErrorCode.DivisionByZero)
            throw new DivideByZeroException($"Div: integer division of {record.Value} by zero {where}");
        if (record.Code == DeviceErrorCode.CrossEntropy)
            throw new IndexOutOfRangeException($"CrossEntropy: label {record.Value} is outside [0, {record.Limit}) and is not the ignored index {where}");
        throw new IndexOutOfRangeException($"{record.Code}: index {record.Value} is out of range for a dimension of size {record.Limit} {where}");
    }
}
