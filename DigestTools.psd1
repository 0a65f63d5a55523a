@{
    RootModule           = 'DigestTools.dll'
    ModuleVersion        = '0.1.0'
    CompatiblePSEditions = @('Desktop', 'Core')
    GUID                 = '6f1c2a57-3d0e-4b8a-9c61-2e7f5d4b9a10'
    Author               = 'DigestTools contributors'
    CompanyName          = 'DigestTools'
    Copyright            = '(c) DigestTools contributors. MIT License.'
    Description          = 'Run containers from immutable image digests instead of mutable tags: resolve tags to digests against v2 registries, pull by digest, create pinned containers, list local digests.'
    PowerShellVersion    = '5.1'
    FormatsToProcess     = @('DigestTools.format.ps1xml')
    CmdletsToExport      = @('Get-ImageDigest', 'Invoke-ImagePull', 'New-PinnedContainer', 'Get-ImageDrift', 'New-PinnedService', 'Update-PinnedService', 'Update-ImagePin', 'Test-ImagePin')
    FunctionsToExport    = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{
        PSData = @{
            Tags       = @('docker', 'container', 'digest', 'registry', 'oci', 'pinning', 'podman', 'Linux', 'Windows', 'PSEdition_Core', 'PSEdition_Desktop')
            ProjectUri = 'https://github.com/digesttools/DigestTools'
            LicenseUri = 'https://github.com/digesttools/DigestTools/blob/main/LICENSE'
        }
    }
}
