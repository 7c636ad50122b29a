package io.ponte.dicom;

/**
 * DICOM tags as {@code int}s (group in the high 16 bits), named by their PS3.6 keyword. The
 * constants cover what Ponte indexes, serves and meets in real files; any other tag is just its
 * number.
 */
public final class Tag {

  private Tag() {}

  /** The group number (high 16 bits). */
  public static int group(int tag) {
    return tag >>> 16;
  }

  /** The element number (low 16 bits). */
  public static int element(int tag) {
    return tag & 0xFFFF;
  }

  /** True for private data elements and private creators (odd group, not 0001/0003/0005/0007). */
  public static boolean isPrivate(int tag) {
    int g = tag >>> 16;
    return (g & 1) != 0 && g > 0x0008;
  }

  /** True for a private creator element (gggg,0010-00FF) in an odd group. */
  public static boolean isPrivateCreator(int tag) {
    int e = tag & 0xFFFF;
    return isPrivate(tag) && e >= 0x0010 && e <= 0x00FF;
  }

  /** True for a group length element (gggg,0000). */
  public static boolean isGroupLength(int tag) {
    return (tag & 0xFFFF) == 0;
  }

  /** "(gggg,eeee)" in upper-case hex, as PS3 writes tags. */
  public static String toString(int tag) {
    char[] c = new char[11];
    c[0] = '(';
    hex(c, 1, tag >>> 16);
    c[5] = ',';
    hex(c, 6, tag & 0xFFFF);
    c[10] = ')';
    return new String(c);
  }

  /**
   * Parses "(gggg,eeee)", "gggg,eeee" or "ggggeeee" (hex); throws IllegalArgumentException
   * otherwise.
   */
  public static int parse(String s) {
    String h = s.replace("(", "").replace(")", "").replace(",", "").trim();
    if (h.length() != 8) {
      throw new IllegalArgumentException("not a tag: " + s);
    }
    try {
      return (int) Long.parseLong(h, 16);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a tag: " + s, e);
    }
  }

  private static void hex(char[] c, int at, int v) {
    for (int i = 3; i >= 0; i--) {
      c[at + i] = Character.toUpperCase(Character.forDigit(v & 0xF, 16));
      v >>>= 4;
    }
  }

  public static final int CommandGroupLength = 0x00000000;
  public static final int AffectedSOPClassUID = 0x00000002;
  public static final int RequestedSOPClassUID = 0x00000003;
  public static final int CommandField = 0x00000100;
  public static final int MessageID = 0x00000110;
  public static final int MessageIDBeingRespondedTo = 0x00000120;
  public static final int MoveDestination = 0x00000600;
  public static final int Priority = 0x00000700;
  public static final int CommandDataSetType = 0x00000800;
  public static final int Status = 0x00000900;
  public static final int OffendingElement = 0x00000901;
  public static final int ErrorComment = 0x00000902;
  public static final int ErrorID = 0x00000903;
  public static final int AffectedSOPInstanceUID = 0x00001000;
  public static final int RequestedSOPInstanceUID = 0x00001001;
  public static final int EventTypeID = 0x00001002;
  public static final int AttributeIdentifierList = 0x00001005;
  public static final int ActionTypeID = 0x00001008;
  public static final int NumberOfRemainingSuboperations = 0x00001020;
  public static final int NumberOfCompletedSuboperations = 0x00001021;
  public static final int NumberOfFailedSuboperations = 0x00001022;
  public static final int NumberOfWarningSuboperations = 0x00001023;
  public static final int MoveOriginatorApplicationEntityTitle = 0x00001030;
  public static final int MoveOriginatorMessageID = 0x00001031;
  public static final int FileMetaInformationGroupLength = 0x00020000;
  public static final int FileMetaInformationVersion = 0x00020001;
  public static final int MediaStorageSOPClassUID = 0x00020002;
  public static final int MediaStorageSOPInstanceUID = 0x00020003;
  public static final int TransferSyntaxUID = 0x00020010;
  public static final int ImplementationClassUID = 0x00020012;
  public static final int ImplementationVersionName = 0x00020013;
  public static final int SourceApplicationEntityTitle = 0x00020016;
  public static final int SendingApplicationEntityTitle = 0x00020017;
  public static final int ReceivingApplicationEntityTitle = 0x00020018;
  public static final int PrivateInformationCreatorUID = 0x00020100;
  public static final int PrivateInformation = 0x00020102;
  public static final int SpecificCharacterSet = 0x00080005;
  public static final int ImageType = 0x00080008;
  public static final int InstanceCreationDate = 0x00080012;
  public static final int InstanceCreationTime = 0x00080013;
  public static final int InstanceCreatorUID = 0x00080014;
  public static final int SOPClassUID = 0x00080016;
  public static final int SOPInstanceUID = 0x00080018;
  public static final int StudyDate = 0x00080020;
  public static final int SeriesDate = 0x00080021;
  public static final int AcquisitionDate = 0x00080022;
  public static final int ContentDate = 0x00080023;
  public static final int AcquisitionDateTime = 0x0008002A;
  public static final int StudyTime = 0x00080030;
  public static final int SeriesTime = 0x00080031;
  public static final int AcquisitionTime = 0x00080032;
  public static final int ContentTime = 0x00080033;
  public static final int AccessionNumber = 0x00080050;
  public static final int IssuerOfAccessionNumberSequence = 0x00080051;
  public static final int QueryRetrieveLevel = 0x00080052;
  public static final int RetrieveAETitle = 0x00080054;
  public static final int InstanceAvailability = 0x00080056;
  public static final int Modality = 0x00080060;
  public static final int ModalitiesInStudy = 0x00080061;
  public static final int SOPClassesInStudy = 0x00080062;
  public static final int ConversionType = 0x00080064;
  public static final int Manufacturer = 0x00080070;
  public static final int InstitutionName = 0x00080080;
  public static final int ReferringPhysicianName = 0x00080090;
  public static final int CodeValue = 0x00080100;
  public static final int CodingSchemeDesignator = 0x00080102;
  public static final int CodingSchemeVersion = 0x00080103;
  public static final int CodeMeaning = 0x00080104;
  public static final int CodingSchemeUID = 0x0008010C;
  public static final int CodingSchemeIdentificationSequence = 0x00080110;
  public static final int CodingSchemeName = 0x00080115;
  public static final int CodingSchemeResponsibleOrganization = 0x00080116;
  public static final int TimezoneOffsetFromUTC = 0x00080201;
  public static final int StationName = 0x00081010;
  public static final int StudyDescription = 0x00081030;
  public static final int SeriesDescription = 0x0008103E;
  public static final int InstitutionalDepartmentName = 0x00081040;
  public static final int PerformingPhysicianName = 0x00081050;
  public static final int NameOfPhysiciansReadingStudy = 0x00081060;
  public static final int OperatorsName = 0x00081070;
  public static final int AdmittingDiagnosesDescription = 0x00081080;
  public static final int ManufacturerModelName = 0x00081090;
  public static final int ReferencedStudySequence = 0x00081110;
  public static final int ReferencedPerformedProcedureStepSequence = 0x00081111;
  public static final int ReferencedSeriesSequence = 0x00081115;
  public static final int ReferencedPatientSequence = 0x00081120;
  public static final int ReferencedImageSequence = 0x00081140;
  public static final int ReferencedInstanceSequence = 0x0008114A;
  public static final int ReferencedSOPClassUID = 0x00081150;
  public static final int ReferencedSOPInstanceUID = 0x00081155;
  public static final int ReferencedFrameNumber = 0x00081160;
  public static final int RetrieveURL = 0x00081190;
  public static final int WarningReason = 0x00081196;
  public static final int FailureReason = 0x00081197;
  public static final int FailedSOPSequence = 0x00081198;
  public static final int ReferencedSOPSequence = 0x00081199;
  public static final int DerivationDescription = 0x00082111;
  public static final int SourceImageSequence = 0x00082112;
  public static final int StageNumber = 0x00082122;
  public static final int NumberOfStages = 0x00082124;
  public static final int ViewNumber = 0x00082128;
  public static final int NumberOfViewsInStage = 0x0008212A;
  public static final int AnatomicRegionSequence = 0x00082218;
  public static final int DerivationImageSequence = 0x00089124;
  public static final int DerivationCodeSequence = 0x00089215;
  public static final int PatientName = 0x00100010;
  public static final int PatientID = 0x00100020;
  public static final int IssuerOfPatientID = 0x00100021;
  public static final int TypeOfPatientID = 0x00100022;
  public static final int IssuerOfPatientIDQualifiersSequence = 0x00100024;
  public static final int PatientBirthDate = 0x00100030;
  public static final int PatientBirthTime = 0x00100032;
  public static final int PatientSex = 0x00100040;
  public static final int OtherPatientIDs = 0x00101000;
  public static final int OtherPatientNames = 0x00101001;
  public static final int OtherPatientIDsSequence = 0x00101002;
  public static final int PatientAge = 0x00101010;
  public static final int PatientSize = 0x00101020;
  public static final int PatientWeight = 0x00101030;
  public static final int EthnicGroup = 0x00102160;
  public static final int AdditionalPatientHistory = 0x001021B0;
  public static final int ResponsiblePerson = 0x00102297;
  public static final int PatientComments = 0x00104000;
  public static final int ClinicalTrialSponsorName = 0x00120010;
  public static final int ClinicalTrialTimePointID = 0x00120050;
  public static final int ClinicalTrialCoordinatingCenterName = 0x00120060;
  public static final int PatientIdentityRemoved = 0x00120062;
  public static final int DeidentificationMethod = 0x00120063;
  public static final int ClinicalTrialSeriesID = 0x00120071;
  public static final int ContrastBolusAgent = 0x00180010;
  public static final int BodyPartExamined = 0x00180015;
  public static final int ScanningSequence = 0x00180020;
  public static final int SequenceVariant = 0x00180021;
  public static final int ScanOptions = 0x00180022;
  public static final int MRAcquisitionType = 0x00180023;
  public static final int SliceThickness = 0x00180050;
  public static final int KVP = 0x00180060;
  public static final int CountsAccumulated = 0x00180070;
  public static final int AcquisitionTerminationCondition = 0x00180071;
  public static final int RepetitionTime = 0x00180080;
  public static final int EchoTime = 0x00180081;
  public static final int NumberOfAverages = 0x00180083;
  public static final int ImagingFrequency = 0x00180084;
  public static final int ImagedNucleus = 0x00180085;
  public static final int EchoNumbers = 0x00180086;
  public static final int MagneticFieldStrength = 0x00180087;
  public static final int SpacingBetweenSlices = 0x00180088;
  public static final int DataCollectionDiameter = 0x00180090;
  public static final int EchoTrainLength = 0x00180091;
  public static final int DeviceSerialNumber = 0x00181000;
  public static final int SecondaryCaptureDeviceManufacturer = 0x00181016;
  public static final int SoftwareVersions = 0x00181020;
  public static final int ProtocolName = 0x00181030;
  public static final int ContrastBolusRoute = 0x00181040;
  public static final int ReconstructionDiameter = 0x00181100;
  public static final int DistanceSourceToDetector = 0x00181110;
  public static final int DistanceSourceToPatient = 0x00181111;
  public static final int GantryDetectorTilt = 0x00181120;
  public static final int TableHeight = 0x00181130;
  public static final int TableTraverse = 0x00181131;
  public static final int ExposureTime = 0x00181150;
  public static final int XRayTubeCurrent = 0x00181151;
  public static final int Exposure = 0x00181152;
  public static final int FilterType = 0x00181160;
  public static final int FocalSpots = 0x00181190;
  public static final int ConvolutionKernel = 0x00181210;
  public static final int ActualFrameDuration = 0x00181242;
  public static final int CountRate = 0x00181243;
  public static final int ScanVelocity = 0x00181300;
  public static final int WholeBodyTechnique = 0x00181301;
  public static final int ScanLength = 0x00181302;
  public static final int FlipAngle = 0x00181314;
  public static final int PatientPosition = 0x00185100;
  public static final int StudyInstanceUID = 0x0020000D;
  public static final int SeriesInstanceUID = 0x0020000E;
  public static final int StudyID = 0x00200010;
  public static final int SeriesNumber = 0x00200011;
  public static final int AcquisitionNumber = 0x00200012;
  public static final int InstanceNumber = 0x00200013;
  public static final int PatientOrientation = 0x00200020;
  public static final int ImagePositionPatient = 0x00200032;
  public static final int ImageOrientationPatient = 0x00200037;
  public static final int FrameOfReferenceUID = 0x00200052;
  public static final int Laterality = 0x00200060;
  public static final int PositionReferenceIndicator = 0x00201040;
  public static final int SliceLocation = 0x00201041;
  public static final int NumberOfPatientRelatedStudies = 0x00201200;
  public static final int NumberOfPatientRelatedSeries = 0x00201202;
  public static final int NumberOfPatientRelatedInstances = 0x00201204;
  public static final int NumberOfStudyRelatedSeries = 0x00201206;
  public static final int NumberOfStudyRelatedInstances = 0x00201208;
  public static final int NumberOfSeriesRelatedInstances = 0x00201209;
  public static final int ImageComments = 0x00204000;
  public static final int FrameContentSequence = 0x00209111;
  public static final int PlanePositionSequence = 0x00209113;
  public static final int PlaneOrientationSequence = 0x00209116;
  public static final int DimensionIndexValues = 0x00209157;
  public static final int DimensionOrganizationUID = 0x00209164;
  public static final int DimensionIndexPointer = 0x00209165;
  public static final int FunctionalGroupPointer = 0x00209167;
  public static final int DimensionOrganizationSequence = 0x00209221;
  public static final int DimensionIndexSequence = 0x00209222;
  public static final int DimensionDescriptionLabel = 0x00209421;
  public static final int SamplesPerPixel = 0x00280002;
  public static final int PhotometricInterpretation = 0x00280004;
  public static final int PlanarConfiguration = 0x00280006;
  public static final int NumberOfFrames = 0x00280008;
  public static final int FrameIncrementPointer = 0x00280009;
  public static final int Rows = 0x00280010;
  public static final int Columns = 0x00280011;
  public static final int PixelSpacing = 0x00280030;
  public static final int PixelAspectRatio = 0x00280034;
  public static final int CorrectedImage = 0x00280051;
  public static final int BitsAllocated = 0x00280100;
  public static final int BitsStored = 0x00280101;
  public static final int HighBit = 0x00280102;
  public static final int PixelRepresentation = 0x00280103;
  public static final int SmallestImagePixelValue = 0x00280106;
  public static final int LargestImagePixelValue = 0x00280107;
  public static final int PixelPaddingValue = 0x00280120;
  public static final int BurnedInAnnotation = 0x00280301;
  public static final int RecognizableVisualFeatures = 0x00280302;
  public static final int WindowCenter = 0x00281050;
  public static final int WindowWidth = 0x00281051;
  public static final int RescaleIntercept = 0x00281052;
  public static final int RescaleSlope = 0x00281053;
  public static final int RescaleType = 0x00281054;
  public static final int VOILUTFunction = 0x00281056;
  public static final int RedPaletteColorLookupTableDescriptor = 0x00281101;
  public static final int RedPaletteColorLookupTableData = 0x00281201;
  public static final int GreenPaletteColorLookupTableData = 0x00281202;
  public static final int BluePaletteColorLookupTableData = 0x00281203;
  public static final int LossyImageCompression = 0x00282110;
  public static final int LossyImageCompressionRatio = 0x00282112;
  public static final int LossyImageCompressionMethod = 0x00282114;
  public static final int PixelMeasuresSequence = 0x00289110;
  public static final int RequestingService = 0x00321033;
  public static final int RequestedProcedureDescription = 0x00321060;
  public static final int StudyComments = 0x00324000;
  public static final int CurrentPatientLocation = 0x00380300;
  public static final int ScheduledProcedureStepID = 0x00400009;
  public static final int LocalNamespaceEntityID = 0x00400031;
  public static final int UniversalEntityID = 0x00400032;
  public static final int UniversalEntityIDType = 0x00400033;
  public static final int ScheduledProcedureStepSequence = 0x00400100;
  public static final int PerformedProcedureStepStartDate = 0x00400244;
  public static final int PerformedProcedureStepStartTime = 0x00400245;
  public static final int PerformedProcedureStepID = 0x00400253;
  public static final int RequestAttributesSequence = 0x00400275;
  public static final int SpecimenDescriptionSequence = 0x00400560;
  public static final int RequestedProcedureID = 0x00401001;
  public static final int ReasonForPerformedProcedureCodeSequence = 0x00401012;
  public static final int RelationshipType = 0x0040A010;
  public static final int ValueType = 0x0040A040;
  public static final int ConceptNameCodeSequence = 0x0040A043;
  public static final int ContinuityOfContent = 0x0040A050;
  public static final int PersonName = 0x0040A123;
  public static final int TextValue = 0x0040A160;
  public static final int ConceptCodeSequence = 0x0040A168;
  public static final int PurposeOfReferenceCodeSequence = 0x0040A170;
  public static final int PerformedProcedureCodeSequence = 0x0040A372;
  public static final int CompletionFlag = 0x0040A491;
  public static final int VerificationFlag = 0x0040A493;
  public static final int ContentSequence = 0x0040A730;
  public static final int RetrieveURI = 0x0040E010;
  public static final int DocumentTitle = 0x00420010;
  public static final int EncapsulatedDocument = 0x00420011;
  public static final int MIMETypeOfEncapsulatedDocument = 0x00420012;
  public static final int EnergyWindowVector = 0x00540010;
  public static final int NumberOfEnergyWindows = 0x00540011;
  public static final int DetectorVector = 0x00540020;
  public static final int NumberOfDetectors = 0x00540021;
  public static final int ImageID = 0x00540400;
  public static final int SegmentationType = 0x00620001;
  public static final int SegmentSequence = 0x00620002;
  public static final int SegmentedPropertyCategoryCodeSequence = 0x00620003;
  public static final int SegmentNumber = 0x00620004;
  public static final int SegmentLabel = 0x00620005;
  public static final int SegmentAlgorithmType = 0x00620008;
  public static final int SegmentAlgorithmName = 0x00620009;
  public static final int SegmentIdentificationSequence = 0x0062000A;
  public static final int ReferencedSegmentNumber = 0x0062000B;
  public static final int RecommendedDisplayCIELabValue = 0x0062000D;
  public static final int SegmentedPropertyTypeCodeSequence = 0x0062000F;
  public static final int ContentLabel = 0x00700080;
  public static final int ContentDescription = 0x00700081;
  public static final int PresentationCreationDate = 0x00700082;
  public static final int PresentationCreationTime = 0x00700083;
  public static final int ContentCreatorName = 0x00700084;
  public static final int StorageMediaFileSetUID = 0x00880140;
  public static final int ModifiedAttributesSequence = 0x04000550;
  public static final int OriginalAttributesSequence = 0x04000561;
  public static final int RTPlanLabel = 0x300A0002;
  public static final int RTPlanName = 0x300A0003;
  public static final int RTPlanDate = 0x300A0006;
  public static final int RTPlanTime = 0x300A0007;
  public static final int PlanIntent = 0x300A000A;
  public static final int RTPlanGeometry = 0x300A000C;
  public static final int DoseReferenceSequence = 0x300A0010;
  public static final int DoseReferenceNumber = 0x300A0012;
  public static final int DoseReferenceStructureType = 0x300A0014;
  public static final int DoseReferenceDescription = 0x300A0016;
  public static final int DoseReferencePointCoordinates = 0x300A0018;
  public static final int DoseReferenceType = 0x300A0020;
  public static final int DeliveryMaximumDose = 0x300A0023;
  public static final int TargetPrescriptionDose = 0x300A0026;
  public static final int OrganAtRiskMaximumDose = 0x300A002C;
  public static final int RTPlanRelationship = 0x300A0055;
  public static final int FractionGroupSequence = 0x300A0070;
  public static final int FractionGroupNumber = 0x300A0071;
  public static final int NumberOfFractionsPlanned = 0x300A0078;
  public static final int NumberOfBeams = 0x300A0080;
  public static final int BeamDoseSpecificationPoint = 0x300A0082;
  public static final int BeamDose = 0x300A0084;
  public static final int BeamMeterset = 0x300A0086;
  public static final int NumberOfBrachyApplicationSetups = 0x300A00A0;
  public static final int BeamSequence = 0x300A00B0;
  public static final int TreatmentMachineName = 0x300A00B2;
  public static final int PrimaryDosimeterUnit = 0x300A00B3;
  public static final int SourceAxisDistance = 0x300A00B4;
  public static final int BeamLimitingDeviceSequence = 0x300A00B6;
  public static final int RTBeamLimitingDeviceType = 0x300A00B8;
  public static final int NumberOfLeafJawPairs = 0x300A00BC;
  public static final int BeamNumber = 0x300A00C0;
  public static final int BeamName = 0x300A00C2;
  public static final int BeamType = 0x300A00C4;
  public static final int RadiationType = 0x300A00C6;
  public static final int TreatmentDeliveryType = 0x300A00CE;
  public static final int NumberOfWedges = 0x300A00D0;
  public static final int NumberOfCompensators = 0x300A00E0;
  public static final int NumberOfBoli = 0x300A00ED;
  public static final int NumberOfBlocks = 0x300A00F0;
  public static final int CumulativeDoseReferenceCoefficient = 0x300A010C;
  public static final int FinalCumulativeMetersetWeight = 0x300A010E;
  public static final int NumberOfControlPoints = 0x300A0110;
  public static final int ControlPointSequence = 0x300A0111;
  public static final int ControlPointIndex = 0x300A0112;
  public static final int NominalBeamEnergy = 0x300A0114;
  public static final int DoseRateSet = 0x300A0115;
  public static final int BeamLimitingDevicePositionSequence = 0x300A011A;
  public static final int LeafJawPositions = 0x300A011C;
  public static final int GantryAngle = 0x300A011E;
  public static final int GantryRotationDirection = 0x300A011F;
  public static final int BeamLimitingDeviceAngle = 0x300A0120;
  public static final int BeamLimitingDeviceRotationDirection = 0x300A0121;
  public static final int PatientSupportAngle = 0x300A0122;
  public static final int PatientSupportRotationDirection = 0x300A0123;
  public static final int TableTopEccentricAngle = 0x300A0125;
  public static final int TableTopEccentricRotationDirection = 0x300A0126;
  public static final int TableTopVerticalPosition = 0x300A0128;
  public static final int TableTopLongitudinalPosition = 0x300A0129;
  public static final int TableTopLateralPosition = 0x300A012A;
  public static final int IsocenterPosition = 0x300A012C;
  public static final int SourceToSurfaceDistance = 0x300A0130;
  public static final int CumulativeMetersetWeight = 0x300A0134;
  public static final int PatientSetupSequence = 0x300A0180;
  public static final int PatientSetupNumber = 0x300A0182;
  public static final int SetupTechniqueDescription = 0x300A01B2;
  public static final int ReferencedRTPlanSequence = 0x300C0002;
  public static final int ReferencedBeamSequence = 0x300C0004;
  public static final int ReferencedBeamNumber = 0x300C0006;
  public static final int ReferencedDoseReferenceSequence = 0x300C0050;
  public static final int ReferencedDoseReferenceNumber = 0x300C0051;
  public static final int ReferencedStructureSetSequence = 0x300C0060;
  public static final int ReferencedPatientSetupNumber = 0x300C006A;
  public static final int ApprovalStatus = 0x300E0002;
  public static final int SharedFunctionalGroupsSequence = 0x52009229;
  public static final int PerFrameFunctionalGroupsSequence = 0x52009230;
  public static final int ExtendedOffsetTable = 0x7FE00001;
  public static final int ExtendedOffsetTableLengths = 0x7FE00002;
  public static final int FloatPixelData = 0x7FE00008;
  public static final int DoubleFloatPixelData = 0x7FE00009;
  public static final int PixelData = 0x7FE00010;
  public static final int DataSetTrailingPadding = 0xFFFCFFFC;
  public static final int Item = 0xFFFEE000;
  public static final int ItemDelimitationItem = 0xFFFEE00D;
  public static final int SequenceDelimitationItem = 0xFFFEE0DD;
  public static final int AcquisitionMatrix = 0x00181310;
  public static final int ExposureTimeInms = 0x00189328;
  public static final int RealWorldValueLUTData = 0x00409212;
  public static final int SelectorISValue = 0x00720064;
  public static final int RegionFlags = 0x00186016;
  public static final int ReferencePixelX0 = 0x00186020;
  public static final int SmallestPixelValueInSeries = 0x00280108;
  public static final int LargestPixelValueInSeries = 0x00280109;
  public static final int PixelPaddingRangeLimit = 0x00280121;
}
