/**
 * Cloud services a partner can resell, with an indicative monthly cost per unit (before the partner's
 * discount). `perUser` SKUs are assigned to users and enable `services` for them; the others are
 * counted per device, per GB, per VM… `weight` is how often accounts take the SKU.
 */
export interface CatalogueSku {
  sku: string;
  name: string;
  description: string;
  unit: 'user' | 'device' | 'server' | 'GB' | 'TB' | 'VM' | 'license' | 'number';
  baseCost: number;
  perUser: boolean;
  services: readonly string[];
  weight: number;
}

const M365_CORE = ['Exchange Online', 'SharePoint Online', 'OneDrive for Business', 'Microsoft Teams'];
const OFFICE_APPS = ['Microsoft 365 Apps'];
const M365_SECURITY = ['Microsoft Intune', 'Microsoft Defender for Business', 'Microsoft Entra ID P1'];
const GOOGLE = ['Gmail', 'Google Drive', 'Google Meet', 'Google Calendar'];

const sku = (
  code: string,
  name: string,
  description: string,
  unit: CatalogueSku['unit'],
  baseCost: number,
  weight: number,
  services: readonly string[] = [],
): CatalogueSku => ({ sku: code, name, description, unit, baseCost, perUser: services.length > 0, services, weight });

export const SKU_CATALOGUE: readonly CatalogueSku[] = [
  sku('MS-M365-BB', 'Microsoft 365 Business Basic', 'Web and mobile Office, e-mail, Teams and 1 TB OneDrive per user', 'user', 6.0, 8, M365_CORE),
  sku('MS-M365-BS', 'Microsoft 365 Business Standard', 'Business Basic plus desktop Office apps', 'user', 12.5, 9, [...M365_CORE, ...OFFICE_APPS]),
  sku('MS-M365-BP', 'Microsoft 365 Business Premium', 'Business Standard plus Intune, Defender for Business and Entra ID P1', 'user', 22.0, 9, [...M365_CORE, ...OFFICE_APPS, ...M365_SECURITY]),
  sku('MS-M365-E3', 'Microsoft 365 E3', 'Enterprise Office, Windows Enterprise, Intune and Entra ID P1', 'user', 36.0, 3, [...M365_CORE, ...OFFICE_APPS, 'Microsoft Intune', 'Microsoft Entra ID P1', 'Windows Enterprise']),
  sku('MS-M365-E5', 'Microsoft 365 E5', 'E3 plus Defender XDR, Purview and Teams Phone', 'user', 57.0, 1, [...M365_CORE, ...OFFICE_APPS, ...M365_SECURITY, 'Microsoft Purview', 'Teams Phone']),
  sku('MS-O365-E1', 'Office 365 E1', 'Web Office, Exchange, SharePoint and Teams', 'user', 10.0, 2, M365_CORE),
  sku('MS-M365-APPS', 'Microsoft 365 Apps for business', 'Desktop Office apps with 1 TB OneDrive', 'user', 8.25, 3, [...OFFICE_APPS, 'OneDrive for Business']),
  sku('MS-EXO-P1', 'Exchange Online (Plan 1)', '50 GB mailbox', 'user', 4.0, 5, ['Exchange Online']),
  sku('MS-EXO-P2', 'Exchange Online (Plan 2)', '100 GB mailbox with archiving and DLP', 'user', 8.0, 2, ['Exchange Online', 'Exchange Online Archiving']),
  sku('MS-EXO-ARCH', 'Exchange Online Archiving', 'Unlimited archive for Exchange Online mailboxes', 'user', 3.0, 2, ['Exchange Online Archiving']),
  sku('MS-TEAMS-ESS', 'Microsoft Teams Essentials', 'Teams meetings and chat without Office', 'user', 4.0, 2, ['Microsoft Teams']),
  sku('MS-TEAMS-PHONE', 'Teams Phone Standard', 'Cloud telephony in Microsoft Teams', 'user', 8.0, 3, ['Teams Phone']),
  sku('MS-VISIO-P2', 'Visio Plan 2', 'Visio desktop and web', 'user', 15.0, 1, ['Visio']),
  sku('MS-PROJECT-P3', 'Project Plan 3', 'Project desktop, online and resource management', 'user', 30.0, 1, ['Project Online']),
  sku('MS-PBI-PRO', 'Power BI Pro', 'Self-service analytics and sharing', 'user', 10.0, 2, ['Power BI']),
  sku('MS-COPILOT', 'Microsoft 365 Copilot', 'AI assistant in Microsoft 365 apps', 'user', 30.0, 1, ['Microsoft 365 Copilot']),
  sku('MS-DEF-EP-P1', 'Microsoft Defender for Endpoint P1', 'Next-generation protection for up to 5 devices per user', 'user', 3.0, 2, ['Defender for Endpoint']),
  sku('MS-ENTRA-P1', 'Microsoft Entra ID P1', 'Conditional access and self-service password reset', 'user', 6.0, 2, ['Microsoft Entra ID P1']),
  sku('MS-INTUNE-P1', 'Microsoft Intune Plan 1', 'Device and application management', 'user', 8.0, 2, ['Microsoft Intune']),
  sku('GGL-WS-STARTER', 'Google Workspace Business Starter', 'Gmail, Meet and 30 GB pooled storage per user', 'user', 6.0, 3, GOOGLE),
  sku('GGL-WS-STD', 'Google Workspace Business Standard', 'Gmail, Meet recordings and 2 TB pooled storage per user', 'user', 12.0, 3, GOOGLE),
  sku('GGL-WS-PLUS', 'Google Workspace Business Plus', 'Business Standard plus Vault and advanced endpoint management', 'user', 18.0, 1, [...GOOGLE, 'Google Vault']),
  sku('DBX-BIZ-STD', 'Dropbox Business Standard', '5 TB team storage', 'user', 15.0, 1, ['Dropbox']),
  sku('ZOOM-WP-PRO', 'Zoom Workplace Pro', 'Meetings up to 30 hours, cloud recording', 'user', 13.33, 1, ['Zoom']),
  sku('KEEPER-BIZ', 'Keeper Business', 'Password manager with shared folders and policies', 'user', 3.75, 2, ['Keeper']),
  sku('PFPT-ESS-BIZ', 'Proofpoint Essentials Business', 'E-mail filtering, encryption and continuity', 'user', 2.6, 2, ['Proofpoint Essentials']),
  sku('DNSF-PRO', 'DNSFilter Pro', 'DNS-level web filtering', 'user', 1.15, 1, ['DNSFilter']),
  sku('VEEAM-M365', 'Veeam Backup for Microsoft 365', 'Backup of Exchange, SharePoint, OneDrive and Teams', 'user', 1.5, 3, ['Veeam Backup for Microsoft 365']),
  sku('ACR-CP-M365', 'Acronis Cyber Protect Cloud – Microsoft 365 seat', 'Cloud-to-cloud backup of one Microsoft 365 user', 'user', 1.8, 4, ['Acronis Microsoft 365 Backup']),
  sku('PBX-SEAT', 'Cloud PBX Seat', 'Hosted extension with voicemail and mobile app', 'user', 7.5, 2, ['Cloud PBX']),
  sku('ACR-CP-WS', 'Acronis Cyber Protect Standard – Workstation', 'Backup and anti-malware for one workstation', 'device', 5.5, 6),
  sku('ACR-CP-SRV', 'Acronis Cyber Protect Standard – Server', 'Backup and anti-malware for one physical or virtual server', 'server', 28.0, 3),
  sku('ACR-ADV-SEC', 'Acronis Advanced Security + XDR', 'Extended detection and response add-on', 'device', 2.2, 2),
  sku('ACR-BKP-GB', 'Acronis Cloud Backup Storage (per GB)', 'Hosted backup storage, billed per GB used', 'GB', 0.0375, 6),
  sku('ACR-DR-GB', 'Acronis Disaster Recovery Storage (per GB)', 'Storage for cloud recovery servers, per GB', 'GB', 0.06, 1),
  sku('ESET-PROTECT', 'ESET PROTECT Entry', 'Endpoint protection managed from the cloud console', 'device', 2.9, 2),
  sku('BD-GZ-BS', 'Bitdefender GravityZone Business Security', 'Endpoint protection for workstations and servers', 'device', 2.4, 2),
  sku('S1-CORE', 'SentinelOne Singularity Core', 'EDR for one endpoint', 'device', 4.5, 2),
  sku('HUNTRESS-EDR', 'Huntress Managed EDR', 'EDR with a 24/7 security operations centre', 'device', 3.5, 2),
  sku('AZ-VM-B2S', 'Azure Virtual Machine B2s (monthly)', '2 vCPU, 4 GiB burstable VM, pay as you go', 'VM', 30.37, 1),
  sku('AZ-BLOB-HOT-GB', 'Azure Blob Storage Hot (per GB)', 'Locally redundant hot tier, per GB-month', 'GB', 0.0184, 1),
  sku('WASABI-TB', 'Wasabi Hot Cloud Storage (per TB)', 'S3-compatible object storage, per TB-month', 'TB', 6.99, 1),
  sku('WEB-HOST-BIZ', 'Managed Web Hosting – Business', 'WordPress hosting with daily backups', 'license', 19.0, 2),
  sku('SSL-DV', 'DV SSL Certificate (monthly)', 'Domain-validated TLS certificate', 'license', 1.25, 2),
  sku('DOMAIN-COM', 'Domain registration (.com, monthly)', 'Registration and DNS hosting', 'license', 1.05, 3),
  sku('PBX-DID', 'Cloud PBX DID number', 'Direct inward dialling number', 'number', 1.0, 2),
];
