namespace Engine.Backends.Cuda.Native;

/// <summary>CUresult: the driver API's status codes (the emulator returns the same numbers).</summary>
internal enum CuResult
{
    Success = 0,
    InvalidValue = 1,
    OutOfMemory = 2,
    NotInitialized = 3,
    Deinitialized = 4,
    StubLibrary = 34,
    NoDevice = 100,
    InvalidDevice = 101,
    InvalidImage = 200,
    InvalidContext = 201,
    NoBinaryForGpu = 209,
    InvalidPtx = 218,
    UnsupportedPtxVersion = 222,
    InvalidSource = 300,
    FileNotFound = 301,
    InvalidHandle = 400,
    NotFound = 500,
    NotReady = 600,
    IllegalAddress = 700,
    LaunchOutOfResources = 701,
    LaunchTimeout = 702,
    Assert = 710,
    IllegalInstruction = 715,
    MisalignedAddress = 716,
    LaunchFailed = 719,
    Unknown = 999,
}

/// <summary>nvrtcResult: NVRTC's status codes.</summary>
internal enum NvrtcResult
{
    Success = 0,
    OutOfMemory = 1,
    ProgramCreationFailure = 2,
    InvalidInput = 3,
    InvalidProgram = 4,
    InvalidOption = 5,
    Compilation = 6,
    BuiltinOperationFailure = 7,
}

/// <summary>cublasStatus_t: cuBLAS's status codes (the emulator's GEMM returns the same numbers).</summary>
internal enum CublasStatus
{
    Success = 0,
    NotInitialized = 1,
    AllocFailed = 3,
    InvalidValue = 7,
    ArchMismatch = 8,
    MappingError = 11,
    ExecutionFailed = 13,
    InternalError = 14,
    NotSupported = 15,
    LicenseError = 16,
}

/// <summary>cudnnStatus_t: cuDNN 9's status codes (cudnn_graph.h); categories are multiples of 1000.</summary>
internal enum CudnnStatus
{
    Success = 0,
    NotInitialized = 1001,
    SublibraryVersionMismatch = 1002,
    SublibraryLoadingFailed = 1008,
    BadParam = 2000,
    NotSupported = 3000,
    InternalError = 4000,
    ExecutionFailed = 5000,
}

/// <summary>CUdevice_attribute values the backend reads.</summary>
internal enum DeviceAttribute
{
    WarpSize = 10,
    MultiprocessorCount = 16,
    MaxThreadsPerMultiprocessor = 39,
    ComputeCapabilityMajor = 75,
    ComputeCapabilityMinor = 76,
}
